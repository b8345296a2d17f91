{ networking.hostName = "pi"; }
