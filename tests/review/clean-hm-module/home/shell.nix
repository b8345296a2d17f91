{ programs.zsh.enable = true; }
