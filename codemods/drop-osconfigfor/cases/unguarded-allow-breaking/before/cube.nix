{ networking.hostName = "cube"; }
