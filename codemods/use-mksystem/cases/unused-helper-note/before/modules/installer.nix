{ ... }:
{
  boot.initrd.availableKernelModules = [ "nvme" ];
}
