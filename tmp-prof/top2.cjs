const fs=require('fs');const p=JSON.parse(fs.readFileSync(process.argv[2]));
const self=new Map();const dt=p.timeDeltas;const byId=new Map(p.nodes.map(n=>[n.id,n]));
p.samples.forEach((s,i)=>{const n=byId.get(s);const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-1)[0]+':'+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+(dt[i]||0));});
[...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,30).forEach(([k,v])=>console.log((v/1000).toFixed(1),k));
