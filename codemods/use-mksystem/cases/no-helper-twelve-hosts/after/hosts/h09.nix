{ ... }:
{
  networking.domain = "h09.example";
}
