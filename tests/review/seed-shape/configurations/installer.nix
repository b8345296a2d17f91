{ ... }: { networking.hostName = "installer"; }
