{ ... }: { hardware.asahi.enable = true; }
