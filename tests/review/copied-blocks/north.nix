{ networking.hostName = "north"; }
