{ ... }:
{
  networking.domain = "h00.example";
}
