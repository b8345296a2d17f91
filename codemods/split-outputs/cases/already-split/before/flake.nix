# grace's laptop. This file only declares inputs; every output lives in
# ./outputs/default.nix, which receives the inputs as its argument.
{
  description = "grace's laptop";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Framework 13 quirks (fingerprint reader, power profiles).
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = inputs: import ./outputs inputs;
}
