{
  inputs = {
    nixpkgs.url = github:NixOS/nixpkgs/nixos-24.11;
    "3mf-tools".url = "github:example/3mf-tools";
  };

  outputs = inputs: import ./outputs inputs;
}
