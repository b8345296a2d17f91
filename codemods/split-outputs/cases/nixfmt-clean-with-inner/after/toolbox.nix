# Small VM image for poking at things.
{ modulesPath, ... }:
{
  imports = [ (modulesPath + "/virtualisation/qemu-vm.nix") ];
  networking.hostName = "toolbox";
  virtualisation.memorySize = 2048;
  users.users.root.initialPassword = "toolbox";
  system.stateVersion = "24.11";
}
