{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.north = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./north.nix
        # Off-site backups, nightly.
        {
          services.restic.backups.offsite = {
            repository = "sftp:backup@vault.example.net:/srv/restic";
            passwordFile = "/run/secrets/restic";
            paths = [ "/home" "/var/lib" ];
            timerConfig = {
              OnCalendar = "02:30";
              RandomizedDelaySec = "1h";
            };
            pruneOpts = [ "--keep-daily 7" "--keep-weekly 4" ];
          };
        }
      ];
    };

    nixosConfigurations.south = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./south.nix
        {
          # Same as north (copied).
          services.restic.backups.offsite = {
            repository = "sftp:backup@vault.example.net:/srv/restic";
            passwordFile = "/run/secrets/restic";
            paths = [ "/home" "/var/lib" ];
            timerConfig = { OnCalendar = "02:30"; RandomizedDelaySec = "1h"; };
            pruneOpts = [ "--keep-daily 7" "--keep-weekly 4" ];
          };
        }
      ];
    };
  };
}
