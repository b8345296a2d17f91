{ networking.hostName = "slate"; }
