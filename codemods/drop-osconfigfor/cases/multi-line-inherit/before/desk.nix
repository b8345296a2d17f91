{ networking.hostName = "desk"; }
