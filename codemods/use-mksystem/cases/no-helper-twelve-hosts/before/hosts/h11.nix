{ ... }:
{
  networking.domain = "h11.example";
}
