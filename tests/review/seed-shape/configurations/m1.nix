{ ... }: { networking.hostName = "m1"; }
