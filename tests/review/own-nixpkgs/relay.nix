{ networking.hostName = "relay"; }
