{ ... }: { networking.hostName = "container"; }
