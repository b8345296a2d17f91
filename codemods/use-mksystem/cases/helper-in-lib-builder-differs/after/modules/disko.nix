{ ... }:
{
  boot.loader.grub.devices = [ "/dev/sda" ];
}
