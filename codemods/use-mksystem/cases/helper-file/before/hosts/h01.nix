{ ... }:
{
  networking.domain = "h01.example";
}
