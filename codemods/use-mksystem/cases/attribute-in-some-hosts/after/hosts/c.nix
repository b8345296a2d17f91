{ ... }:
{
  networking.domain = "c.example";
}
