// placeholder until the commands land
