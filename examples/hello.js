console.log(`hello from Node.js ${process.version}`);
console.error("this line goes to stderr");
