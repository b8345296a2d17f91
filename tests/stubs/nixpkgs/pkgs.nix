# The stub package set for one system. `final` is the set after overlays.
{ lib, system, config, final }:
let
  inherit (lib.stub) mkDrv;
  drv = name: args: mkDrv system name { inherit name args config; };
  names = [
    "bash" "bashInteractive" "bat" "blender" "brightnessctl" "cage"
    "coreutils" "curl" "direnv" "emacs" "fd" "findutils" "firefox" "fish"
    "foot" "fzf" "gcc" "git" "gnumake" "go" "golangci-lint" "gopls"
    "gutenprint" "hello" "htop" "jq" "libreoffice" "neovim" "neovim-unwrapped"
    "nil" "nixos-rebuild" "nixpkgs-fmt" "nodejs" "openssh" "pavucontrol"
    "python3" "qemu" "ripgrep" "rsync" "shellcheck" "shfmt" "swaylock" "tmux"
    "vim" "wayvnc" "wget" "wl-clipboard" "wmenu" "zsh"
  ];
  named = lib.genAttrs names (n: drv n { }) // {
    vimPlugins = {
      nvim-treesitter = drv "nvim-treesitter" { } // {
        withAllGrammars = drv "nvim-treesitter-with-all-grammars" { };
      };
      telescope-nvim = drv "telescope-nvim" { };
    };
  };
  builders = {
    inherit lib system;
    pkgs = final;
    callPackage = fn: args:
      let f = if builtins.isFunction fn then fn else import fn; in
      f (builtins.intersectAttrs (builtins.functionArgs f) final // args);
    stdenv = {
      inherit system;
      hostPlatform.system = system;
      mkDerivation = args: drv (args.name or "${args.pname}-${args.version}") args;
    };
    mkShell = args: drv (args.name or "nix-shell") args;
    writeText = name: text: drv name { inherit text; };
    writeShellScript = name: text: drv name { inherit text; };
    writeShellScriptBin = name: text: drv name { inherit text; };
    writeShellApplication = args: drv args.name args;
    symlinkJoin = args: drv args.name args;
    runCommand = name: env: script: drv name { inherit env script; };
    buildGoModule = args: drv "${args.pname}-${args.version}" args;
    buildEnv = args: drv args.name args;
  };
in
named // builders
