# `import nixpkgs { system = ...; config = ...; overlays = [ ... ]; }`
{ system ? builtins.currentSystem or "x86_64-linux", config ? { }, overlays ? [ ], ... }:
(import ./lib.nix).stub.mkPkgs { inherit system config overlays; }
