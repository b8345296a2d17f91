{ networking.hostName = "borealis"; }
