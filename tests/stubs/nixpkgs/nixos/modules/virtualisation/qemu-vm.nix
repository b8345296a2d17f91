# Stub of nixpkgs' qemu-vm module.
{ config, ... }:
{
  virtualisation.qemu.stub = true;
}
