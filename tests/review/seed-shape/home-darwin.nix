{ ... }: { home.username = "vp"; }
