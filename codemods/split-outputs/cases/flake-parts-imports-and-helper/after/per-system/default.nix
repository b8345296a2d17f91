{ inputs, ... }:
{
  perSystem = { pkgs, system, ... }: {
    packages.lab-report = pkgs.writeShellScriptBin "lab-report" ''
      echo "report for ${system}"
    '';
  };
}
