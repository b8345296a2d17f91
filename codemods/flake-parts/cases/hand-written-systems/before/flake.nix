{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }: {
    nixosConfigurations.nas = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { networking.hostName = "nas"; } ];
    };

    # The backup script, for both boxes.
    packages.x86_64-linux.backup = nixpkgs.legacyPackages.x86_64-linux.writeShellScriptBin "backup" "rsync -a /srv /mnt";
    packages.aarch64-linux.backup = nixpkgs.legacyPackages.aarch64-linux.writeShellScriptBin "backup" "rsync -a /srv /mnt";

    formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixpkgs-fmt;
  };
}
