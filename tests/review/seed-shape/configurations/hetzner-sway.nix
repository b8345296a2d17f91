{ ... }: { networking.hostName = "hetzner-sway"; }
