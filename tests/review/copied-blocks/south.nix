{ networking.hostName = "south"; }
