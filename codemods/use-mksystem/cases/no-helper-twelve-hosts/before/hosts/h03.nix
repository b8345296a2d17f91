{ ... }:
{
  networking.domain = "h03.example";
}
