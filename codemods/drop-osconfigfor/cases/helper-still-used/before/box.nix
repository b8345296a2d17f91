{ networking.hostName = "box"; }
