queue { 0 }
