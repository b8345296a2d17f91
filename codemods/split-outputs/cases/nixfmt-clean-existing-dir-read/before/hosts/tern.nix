{ networking.hostName = "tern"; }
