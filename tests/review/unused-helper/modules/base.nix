{ services.openssh.enable = true; }
