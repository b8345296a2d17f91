{ networking.hostName = "tower"; }
