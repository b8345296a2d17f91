{ ... }: { networking.hostName = "workvm"; }
