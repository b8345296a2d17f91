{ ... }: { home.username = "code"; }
