{ ... }:
{
  networking.hostName = "lark";
}
