{ documentation.enable = false; }
