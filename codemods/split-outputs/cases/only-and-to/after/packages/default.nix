{ nixpkgs, ... }:
{
  x86_64-linux.wallpaper = nixpkgs.legacyPackages.x86_64-linux.runCommand "wallpaper" { } ''
    mkdir -p $out/share/backgrounds
    cp ${../systems/wallpaper.svg} $out/share/backgrounds/owl.svg
  '';
}
