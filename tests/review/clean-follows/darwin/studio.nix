{ networking.hostName = "studio"; }
