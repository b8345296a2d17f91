{ ... }:
{
  networking.domain = "h04.example";
}
