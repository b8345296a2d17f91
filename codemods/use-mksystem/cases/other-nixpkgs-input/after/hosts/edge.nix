{ ... }:
{
  networking.domain = "edge.example";
}
