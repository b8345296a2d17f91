{ ... }:
{
  networking.domain = "h02.example";
}
