{ ... }: { networking.hostName = "zinc"; }
