{ networking.hostName = "travel"; }
