{ networking.hostName = "quarry"; }
