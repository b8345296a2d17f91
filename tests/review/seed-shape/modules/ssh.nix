{ ... }: { services.openssh.enable = true; }
