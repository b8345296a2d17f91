# The status page binary.
{ buildGoModule, src }:
buildGoModule {
  pname = "status-page";
  version = "0.3.1";
  inherit src;
  vendorHash = null;
  subPackages = [ "cmd/status-page" ];
}
