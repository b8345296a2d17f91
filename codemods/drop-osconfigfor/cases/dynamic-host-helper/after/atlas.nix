{ networking.hostName = "atlas"; }
