{ networking.hostName = "wren"; }
