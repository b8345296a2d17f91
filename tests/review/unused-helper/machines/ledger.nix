{ networking.hostName = "ledger"; }
